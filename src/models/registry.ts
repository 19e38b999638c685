/** The models the user can choose: the bundled ones listed in models/index.json, and their own folders and GGUF files. */
import { ggufFacts, ggufTokenizer, GGUF_ARCHITECTURES, isModelError, MAX_GGUF_BYTES, readGguf } from '../engine';
import { isGgufUri, joinUri, MODEL_FILES, readText, type ModelFileSystem } from '../worker/modelFiles';
import { parseModelIndex, type ModelIndexEntry } from './modelIndex';

/** A model the picker offers: its index.json entry, camel-cased, and where it lives. */
export interface ModelEntry extends Pick<ModelIndexEntry, 'id' | 'description' | 'kind' | 'parameters' | 'quality' | 'speed'> {
  /** Bundled with the extension, or a folder from `nextToken.modelFolders`. */
  source: 'bundled' | 'user';
  /** Why a user folder cannot be used (shown in the picker); undefined when it looks fine. */
  problem?: string;
  displayName: string;
  /** The folder, as a URI string (for a GGUF model: the file). */
  folder: string;
  fileBytes?: number;
  /** How the user wrote the folder or file in settings (names it in messages). */
  label?: string;
}

export interface Registry {
  defaultId: string;
  models: ModelEntry[];
}

/** `extensionUri`: the extension's folder as a URI string. */
export async function readRegistry(fs: ModelFileSystem, extensionUri: string): Promise<Registry> {
  const modelsUri = joinUri(extensionUri, 'models');
  const index = parseModelIndex(await readText(fs, joinUri(modelsUri, 'index.json')));
  return {
    defaultId: index.default,
    models: index.models.map((m) => ({
      id: m.id,
      source: 'bundled' as const,
      displayName: m.display_name,
      description: m.description,
      kind: m.kind,
      folder: joinUri(modelsUri, m.id),
      parameters: m.parameters,
      fileBytes: m.file_bytes,
      quality: m.quality,
      speed: m.speed,
    })),
  };
}

/**
 * A user's own model folder (GPT-2 layout: config.json + model.safetensors +
 * tokenizer.json). Cheap checks here; the worker validates every tensor when loading.
 * `label` is how the user wrote the folder (shown in messages).
 */
export async function userModelEntry(fs: ModelFileSystem, folderUri: string, label: string): Promise<ModelEntry> {
  const name = label.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || label;
  const entry: ModelEntry = { id: `folder:${label}`, source: 'user', displayName: name, description: label, kind: 'transformer', folder: folderUri, label };
  const gguf = await findGguf(fs, folderUri, label);
  if (gguf.problem !== undefined) return { ...entry, problem: gguf.problem };
  if (gguf.uri !== undefined) return ggufModelEntry(fs, { ...entry, folder: gguf.uri }, label);
  const sizes = await Promise.all(MODEL_FILES.map((f) => fs.size(joinUri(folderUri, f))));
  const missing = MODEL_FILES.filter((_, i) => sizes[i] === undefined);
  if (missing.length > 0) {
    entry.problem = `${label}: missing ${missing.join(', ')}`;
    return entry;
  }
  entry.fileBytes = sizes[1];
  try {
    const config = JSON.parse(await readText(fs, joinUri(folderUri, 'config.json'))) as Record<string, unknown>;
    if (typeof config.display_name === 'string') entry.displayName = config.display_name;
    if (typeof config.description === 'string' && config.description) entry.description = `${config.description} (${label})`;
    if (config.kind === 'ngram') entry.kind = 'ngram';
  } catch (e) {
    entry.problem = `${label}/config.json: ${(e as Error).message}`;
  }
  return entry;
}

/** A `.gguf` path, or a folder without config.json that holds exactly one `.gguf` file. */
async function findGguf(fs: ModelFileSystem, uri: string, label: string): Promise<{ uri?: string; problem?: string }> {
  if (isGgufUri(uri)) return { uri };
  if (!fs.list || (await fs.size(joinUri(uri, 'config.json'))) !== undefined) return {};
  const found = ((await fs.list(uri)) ?? []).filter(isGgufUri);
  if (found.length > 1) return { problem: `${label}: holds ${found.length} .gguf files (${found.join(', ')}); name the one to use` };
  return found.length === 1 ? { uri: joinUri(uri, found[0]) } : {};
}

/** What the picker shows of a GGUF file, by URI and size: reading it costs a pass over the file. */
const ggufSummaries = new Map<string, Pick<ModelEntry, 'displayName' | 'description' | 'parameters' | 'problem'>>();

/**
 * A GGUF file the user named: its name, architecture, parameters and quantisation from the
 * metadata, or the problem that stops it (an architecture or tokenizer we do not run, a
 * broken file). The worker checks everything again when it loads the file.
 */
async function ggufModelEntry(fs: ModelFileSystem, entry: ModelEntry, label: string): Promise<ModelEntry> {
  const size = await fs.size(entry.folder);
  if (size === undefined) return { ...entry, problem: `${label}: the file is missing` };
  if (size > MAX_GGUF_BYTES) return { ...entry, fileBytes: size, problem: `${label}: ${size} bytes, more than the limit of ${MAX_GGUF_BYTES}` };
  const key = `${entry.folder}|${size}`;
  let summary = ggufSummaries.get(key);
  if (!summary) {
    summary = await summarizeGguf(fs, entry.folder, label, size);
    if (ggufSummaries.size >= 16) ggufSummaries.clear();
    ggufSummaries.set(key, summary);
  }
  return { ...entry, ...summary, fileBytes: size };
}

async function summarizeGguf(fs: ModelFileSystem, uri: string, label: string, size: number): Promise<Pick<ModelEntry, 'displayName' | 'description' | 'parameters' | 'problem'>> {
  const name = label.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || label;
  try {
    const gguf = readGguf(await fs.readBytes(uri), label);
    const arch = gguf.metadata.get('general.architecture');
    if (typeof arch !== 'string' || !(GGUF_ARCHITECTURES as readonly string[]).includes(arch)) {
      return { displayName: name, description: label, problem: `${label}: architecture "${String(arch)}" is not supported (supported: ${GGUF_ARCHITECTURES.join(', ')})` };
    }
    ggufTokenizer(gguf); // an unsupported tokenizer is named here, before the worker is asked
    const facts = ggufFacts(gguf, arch, size);
    const title = gguf.metadata.get('general.name');
    let parameters = 0;
    for (const t of gguf.tensors.values()) parameters += t.elements;
    return {
      displayName: typeof title === 'string' && title.trim() ? title.trim() : name.replace(/\.gguf$/i, ''),
      description: `${arch}, ${facts.fileType} (${facts.quantisation}), GGUF: ${label}`,
      parameters,
    };
  } catch (e) {
    return { displayName: name, description: label, problem: isModelError(e) ? e.message : `${label}: ${(e as Error).message}` };
  }
}
