import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LanesError, type Project, parseParamsFile } from '@lanes/core';

/**
 * `params/{layer}-{env}.json` of the infra or boot layer (the project model carries only the services' files), in
 * any format the AWS tools accept (core's parameter-file reader). A missing file yields `{}`.
 */
export async function readLayerParams(project: Project, layer: 'infra' | 'boot'): Promise<Record<string, string>> {
  const file = join(project.dir, 'params', `${layer}-${project.env}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new LanesError('LANES_PARAMS_UNREADABLE', `${file}: ${(error as Error).message}`, 'user');
  }
  return parseParamsFile(text, file);
}
