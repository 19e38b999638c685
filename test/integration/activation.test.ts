/** The extension loads in the real extension host, activates, and registers what it contributes. */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { activate, getExtension } from './helpers';

suite('activation', () => {
  test('the extension is installed in the host', () => {
    const ext = getExtension();
    assert.equal(ext.packageJSON.name, 'next-token');
    assert.equal(ext.packageJSON.publisher, 'next-token');
  });

  test('it activates (onStartupFinished) and exposes its API', async () => {
    const ext = getExtension();
    const api = await activate();
    assert.ok(ext.isActive, 'extension is not active');
    assert.ok(api && typeof api === 'object', 'activate() returned no API');
    for (const key of ['client', 'models', 'provider', 'ready'] as const) assert.ok(key in api, `API lacks ${key}`);
  });

  test('every contributed command is registered', async () => {
    await activate();
    const contributed: string[] = (getExtension().packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    for (const id of ['nextToken.selectModel', 'nextToken.showPanel', 'nextToken.toggle']) {
      assert.ok(contributed.includes(id), `package.json does not contribute ${id}`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the contributed settings have their defaults', () => {
    const config = vscode.workspace.getConfiguration('nextToken');
    const properties = getExtension().packageJSON.contributes?.configuration?.properties ?? {};
    for (const [key, schema] of Object.entries<{ default?: unknown }>(properties)) {
      const name = key.replace(/^nextToken\./, '');
      assert.deepEqual(config.inspect(name)?.defaultValue, schema.default, `default of ${key}`);
    }
  });
});
