/** ModelFileSystem over Node's fs for unit tests (file:// URIs). */
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelFileSystem } from '../../src/worker/modelFiles';

export const nodeFiles: ModelFileSystem = {
  async readBytes(uri) {
    return new Uint8Array(fs.readFileSync(fileURLToPath(uri)));
  },
  async size(uri) {
    try {
      const stat = fs.statSync(fileURLToPath(uri));
      return stat.isFile() ? stat.size : undefined;
    } catch {
      return undefined;
    }
  },
};

export const fileUri = (p: string) => pathToFileURL(p).href;
