# syntax=docker/dockerfile:1
# The web app image: `next start` on the `next build` output, production dependencies only.
# Build from the repository root: docker build -f deploy/docker/web.Dockerfile -t polybot/web:<tag> .
# Base: node:20.20-bookworm-slim, pinned by tag (not digest) for the reasons in bot-manager.Dockerfile.
# Not Next's `output: 'standalone'`: its file tracing would have to follow the workspace packages Next compiles from
# TypeScript sources, and `npm start`/the tests run `next start`, which standalone output does not support; this
# image runs exactly what they run.

# 1. Everything, devDependencies included, to run `next build`. NEXT_PUBLIC_* are read at request time on the server
# (src/env.ts), so one image serves any Supabase project.
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
RUN npm install --global npm@11.19.1
COPY . .
RUN npm ci --no-audit --no-fund
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build --workspace @polybot/web && rm -rf apps/web/.next/cache

# 2. Production dependencies only (why not `npm ci --omit=dev --workspace`: bot-manager.Dockerfile, stage 2).
FROM node:20.20-bookworm-slim AS prod-deps
WORKDIR /src
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json ./
COPY deploy/docker/prune-workspaces.mjs deploy/docker/
COPY apps/web/package.json apps/web/
COPY packages/billing/package.json packages/billing/
COPY packages/db/package.json packages/db/
COPY packages/notify/package.json packages/notify/
COPY packages/schemas/package.json packages/schemas/
COPY packages/venues/package.json packages/venues/
COPY supabase/package.json supabase/
RUN node deploy/docker/prune-workspaces.mjs apps/web packages/billing packages/db packages/notify packages/schemas packages/venues supabase \
  && npm install --omit=dev --no-audit --no-fund \
  && find node_modules/@polybot -maxdepth 1 -type l -delete
# The packages patches/ fixes (postgres.js: a write after its connection closed ended the process, ARCHITECTURE §6),
# as the build stage's `npm ci` patched them (postinstall: patch-package); same versions, the lockfile's.
COPY --from=build /src/node_modules/postgres node_modules/postgres

# 3. What runs: the build output, next.config.ts (and the headers module it imports) and production node_modules.
# The workspace packages are compiled into .next, so their links were removed above.
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/apps/web/package.json /src/apps/web/next.config.ts ./apps/web/
COPY --from=build /src/apps/web/src/lib/security-headers.ts ./apps/web/src/lib/
COPY --from=build /src/apps/web/.next ./apps/web/.next
WORKDIR /app/apps/web
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/sign-in').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Listens on all interfaces (PORT); exits at boot naming a missing or bad variable (APP_URL above all).
CMD ["node", "/app/node_modules/next/dist/bin/next", "start", "--hostname", "0.0.0.0"]
