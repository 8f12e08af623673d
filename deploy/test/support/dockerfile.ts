// Lints a Dockerfile (dockerfile-utils: the validator behind the VS Code Docker extension's diagnostics) and checks
// what matters for these images: several stages on one pinned base, the final stage non-root with a HEALTHCHECK,
// and nothing in it from a build with devDependencies (node_modules only from a stage that installed with
// --omit=dev; no tsx, esbuild or npm install there).
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

export function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    if (i.getKeyword() === 'FROM') {
      const args = i.getArguments().map((a) => a.getValue());
      stages.push({ name: args[2] ?? '', image: args[0] ?? '', instructions: [] });
    } else stages.at(-1)?.instructions.push(i);
  }
  return stages;
}

const argsOf = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
const runs = (s: Stage): string[] =>
  s.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => argsOf(i).join(' '));

export function dockerfileProblems(text: string): string[] {
  const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const stages = stagesOf(text);
  if (stages.length < 2) return [...problems, 'not multi-stage: build tools would ship in the image'];
  const final = stages.at(-1) as Stage;

  for (const s of stages) {
    if (!s.name) problems.push(`stage FROM ${s.image} has no name (FROM … AS <name>)`);
    const tag = /^[^:@]+:([^@]+)$/.exec(s.image)?.[1];
    if (!tag || tag === 'latest') problems.push(`stage ${s.name}: base ${s.image} is not pinned to a version tag`);
  }
  if (new Set(stages.map((s) => s.image)).size > 1) problems.push('stages use different base images');

  const users = final.instructions.filter((i) => i.getKeyword() === 'USER').map((i) => argsOf(i)[0] ?? '');
  const user = users.at(-1);
  if (user === undefined) problems.push('final stage has no USER: it would run as root');
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`final stage runs as ${user}`);
  if (!final.instructions.some((i) => i.getKeyword() === 'HEALTHCHECK'))
    problems.push('final stage has no HEALTHCHECK');

  const productionStages = new Set(
    stages.filter((s) => runs(s).some((r) => /npm (ci|install)\b.*--omit=dev/.test(r))).map((s) => s.name),
  );
  for (const i of final.instructions) {
    const line = argsOf(i).join(' ');
    if (i.getKeyword() === 'RUN' && /\bnpm (ci|install|i)\b/.test(line))
      problems.push(`final stage installs packages: ${line}`);
    if (/\b(tsx|esbuild)\b/.test(line)) problems.push(`final stage mentions a build tool: ${i.getKeyword()} ${line}`);
    const from = /--from=(\S+)/.exec(i.getTextContent())?.[1];
    if (i.getKeyword() === 'COPY' && /node_modules/.test(line) && (!from || !productionStages.has(from)))
      problems.push(`final stage copies node_modules from ${from ?? 'the context'}, not from a --omit=dev install`);
  }
  return problems;
}

/** The workspace directories a prod-deps stage reduces the repository to (prune-workspaces.mjs's arguments). */
export function prunedWorkspaces(text: string): string[] {
  for (const s of stagesOf(text))
    for (const r of runs(s)) {
      const m = /prune-workspaces\.mjs ((?:[\w./-]+ ?)+)/.exec(r);
      if (m?.[1]) return m[1].trim().split(/\s+/);
    }
  return [];
}
