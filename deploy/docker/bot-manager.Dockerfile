# syntax=docker/dockerfile:1
# The bot-manager image: node dist/main.js forking the prebuilt runner (dist/runner/main.mjs, ARCHITECTURE §7.6).
# Build from the repository root: docker build -f deploy/docker/bot-manager.Dockerfile -t polybot/bot-manager:<tag> .
# Base: node:20.20-bookworm-slim, pinned by tag to the Node minor the repository runs (package.json engines, CI), not
# by digest: every release rebuilds the image, so Debian and Node patch fixes arrive with it; record the digest each
# release was built from (docs/DEPLOY.md, "Upgrades") to rebuild one byte for byte.

# 1. Everything, devDependencies included, to build dist/ (esbuild, tsx: build tools only).
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
# The npm the lockfile was written with (package.json packageManager); the base image ships an older one.
RUN npm install --global npm@11.19.1
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build --workspace @polybot/bot-manager

# 2. Production dependencies only, versions from the same lockfile. `npm ci --omit=dev --workspace` would still
# install every workspace's dependencies (the dev-only local stack's embedded Postgres and Deno among them), so the
# manifests are first reduced to the workspaces the manager needs, without devDependencies (prune-workspaces.mjs).
FROM node:20.20-bookworm-slim AS prod-deps
WORKDIR /src
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json ./
COPY deploy/docker/prune-workspaces.mjs deploy/docker/
COPY apps/bot-manager/package.json apps/bot-manager/
COPY packages/db/package.json packages/db/
COPY packages/notify/package.json packages/notify/
COPY packages/schemas/package.json packages/schemas/
COPY packages/strategies/package.json packages/strategies/
COPY packages/venues/package.json packages/venues/
RUN node deploy/docker/prune-workspaces.mjs apps/bot-manager packages/db packages/notify packages/schemas packages/strategies packages/venues \
  && npm install --omit=dev --no-audit --no-fund \
  && find node_modules/@polybot -maxdepth 1 -type l -delete
# The packages patches/ fixes (postgres.js: a write after its connection closed ended the process, ARCHITECTURE §6),
# as the build stage's `npm ci` patched them (postinstall: patch-package); same versions, the lockfile's.
COPY --from=build /src/node_modules/postgres node_modules/postgres

# 3. What runs: node, the production node_modules and dist/. Workspace packages are bundled into dist/, so their
# links were removed above. Files stay root-owned and world-readable: runners (RUNNER_USER) load them, nobody writes.
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    BOT_MANAGER_HTTP_HOST=0.0.0.0 \
    BOT_MANAGER_HTTP_PORT=9464
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/apps/bot-manager/package.json ./apps/bot-manager/
COPY --from=build /src/apps/bot-manager/dist ./apps/bot-manager/dist
WORKDIR /app/apps/bot-manager
# Unprivileged by default. Runner isolation needs root with only SETUID/SETGID/KILL (docs/SECURITY.md §8): the
# Kubernetes StatefulSet sets runAsUser 0, those capabilities and RUNNER_USER=65534 (nobody, in this image's
# /etc/passwd). Run as this user, the manager works but its runners share its uid (it logs a warning saying so).
USER node
EXPOSE 9464
# /livez: the event loop answers. Readiness (/healthz: database and LISTEN) is the orchestrator's probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BOT_MANAGER_HTTP_PORT || 9464) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (stops runners, hands shards over); node is PID 1 and handles it itself.
CMD ["node", "dist/main.js"]
