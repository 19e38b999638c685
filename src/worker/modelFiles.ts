/**
 * Reading model folders through a small file-system interface, so the same code runs in
 * the Node extension host, in VS Code for the Web (vscode.workspace.fs) and in unit tests.
 * Folders are URI strings.
 */
export interface ModelFileSystem {
  readBytes(uri: string): Promise<Uint8Array>;
  /** Size in bytes, or undefined when the file does not exist. */
  size(uri: string): Promise<number | undefined>;
  /** The names in a folder, or undefined when it is not one (to find the `.gguf` in a folder). */
  list?(uri: string): Promise<string[] | undefined>;
}

/** A GGUF model is one file; `nextToken.modelFolders` may name it or a folder that holds it. */
export function isGgufUri(uri: string): boolean {
  return /\.gguf$/i.test(uri);
}

export const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

export function joinUri(folder: string, name: string): string {
  return `${folder.replace(/\/+$/, '')}/${name}`;
}

export async function readText(fs: ModelFileSystem, uri: string): Promise<string> {
  return new TextDecoder().decode(await fs.readBytes(uri));
}
