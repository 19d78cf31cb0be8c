import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/**
 * Copies examples (without their .lanes state) into `<tmp>/examples/<name>`, with the repository's node_modules
 * linked beside them so their imports of @lanes/* and ws resolve, and gives `project`'s gateway ports picked at run
 * time instead of its fixed ones. Returns the temporary root.
 */
export async function copyExamples(names: readonly string[], project: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `lanes-${project}-`));
  await mkdir(join(root, 'examples'));
  for (const name of names) {
    await cp(join(EXAMPLES, name), join(root, 'examples', name), {
      recursive: true,
      filter: (source) => !source.includes('.lanes'),
    });
  }
  await symlink(NODE_MODULES, join(root, 'node_modules'), 'dir');
  const file = join(root, 'examples', project, 'lanes.json');
  const config = JSON.parse(await readFile(file, 'utf8'));
  config.gateway = { port: 0, adminPort: 0 };
  await writeFile(file, JSON.stringify(config));
  return root;
}
