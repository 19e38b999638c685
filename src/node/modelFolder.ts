/** Reading model folders from disk (Node only; the engine itself never touches files). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, MAX_GGUF_BYTES, MAX_MODEL_BYTES, ModelError, type GgufFiles, type LanguageModel, type LoadOptions, type ModelFiles } from '../engine';
import { parseModelIndex, type ModelIndex } from '../models/modelIndex';

/** Text files above this are not a config or tokenizer we would ever ship. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

function readChecked(file: string, maxBytes: number): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ModelError('missing-file', 'file is missing', file);
  }
  if (!stat.isFile()) throw new ModelError('missing-file', 'is not a file', file);
  if (stat.size > maxBytes) throw new ModelError('too-large', `file is ${stat.size} bytes, more than the limit of ${maxBytes}`, file);
  return fs.readFileSync(file);
}

/**
 * The GGUF file a `--model` or `nextToken.modelFolders` entry means: the path itself when it
 * is a `.gguf` file, or the one `.gguf` in a folder without config.json; undefined otherwise.
 * A folder with several is an error (which one is meant?).
 */
export function ggufPath(pathOrFolder: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(pathOrFolder);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return /\.gguf$/i.test(pathOrFolder) ? pathOrFolder : undefined;
  if (!stat.isDirectory() || fs.existsSync(path.join(pathOrFolder, 'config.json'))) return undefined;
  const found = fs.readdirSync(pathOrFolder).filter((f) => /\.gguf$/i.test(f));
  if (found.length > 1) throw new ModelError('missing-file', `holds ${found.length} .gguf files (${found.join(', ')}); name the one to use`, pathOrFolder);
  return found.length === 1 ? path.join(pathOrFolder, found[0]) : undefined;
}

/** A model folder's three files, or a GGUF file's bytes (`folder` may name the file or its folder). */
export function readModelInput(folder: string, maxBytes?: number): ModelFiles | GgufFiles {
  const gguf = ggufPath(folder);
  if (gguf !== undefined) {
    const bytes = readChecked(gguf, maxBytes ?? MAX_GGUF_BYTES);
    return { gguf: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
  return readModelFiles(folder, maxBytes ?? MAX_MODEL_BYTES);
}

/** The three files of a model folder in the GPT-2 layout. */
export function readModelFiles(folder: string, maxBytes = MAX_MODEL_BYTES): ModelFiles {
  const weights = readChecked(path.join(folder, 'model.safetensors'), maxBytes);
  return {
    config: readChecked(path.join(folder, 'config.json'), MAX_JSON_BYTES).toString('utf8'),
    tokenizer: readChecked(path.join(folder, 'tokenizer.json'), MAX_JSON_BYTES).toString('utf8'),
    // A view over the file's own buffer: the weights are never copied.
    weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
  };
}

/** Loads a model folder or a GGUF file (errors name `folder` as given). */
export function loadModelFolder(folder: string, options: LoadOptions = {}): LanguageModel {
  return loadModel(readModelInput(folder, options.maxBytes), folder, options);
}

/** The folder holding the bundled `models/` (the package root), found from this file. */
export function packageRoot(start = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'models', 'index.json')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the bundled models/ folder above ${start}`);
    dir = parent;
  }
}

export type { ModelIndex, ModelIndexEntry } from '../models/modelIndex';

export function readModelIndex(root = packageRoot()): ModelIndex {
  return parseModelIndex(fs.readFileSync(path.join(root, 'models', 'index.json'), 'utf8'));
}

/** `--model` takes a bundled id, a folder path, or a `.gguf` file (or a folder holding one). */
export function resolveModel(idOrFolder: string, root?: string): string {
  if (fs.existsSync(path.join(idOrFolder, 'config.json'))) return idOrFolder;
  const gguf = ggufPath(idOrFolder);
  if (gguf !== undefined) return gguf;
  const bundledRoot = root ?? packageRoot();
  const folder = path.join(bundledRoot, 'models', idOrFolder);
  if (/^[a-z0-9][a-z0-9-]*$/.test(idOrFolder) && fs.existsSync(path.join(folder, 'config.json'))) return folder;
  const ids = readModelIndex(bundledRoot).models.map((m) => m.id);
  throw new ModelError('missing-file', `"${idOrFolder}" is neither a bundled model (${ids.join(', ')}) nor a folder with config.json, nor a .gguf file`);
}
