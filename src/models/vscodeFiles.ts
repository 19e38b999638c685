/** ModelFileSystem over vscode.workspace.fs: the same in the Node and the web extension host. */
import * as vscode from 'vscode';
import type { ModelFileSystem } from '../worker/modelFiles';

export const vscodeFiles: ModelFileSystem = {
  async readBytes(uri) {
    return vscode.workspace.fs.readFile(vscode.Uri.parse(uri));
  },
  async size(uri) {
    try {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(uri));
      return stat.type & vscode.FileType.File ? stat.size : undefined;
    } catch {
      return undefined;
    }
  },
  async list(uri) {
    try {
      return (await vscode.workspace.fs.readDirectory(vscode.Uri.parse(uri))).map(([name]) => name);
    } catch {
      return undefined;
    }
  },
};
