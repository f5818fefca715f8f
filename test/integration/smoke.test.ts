// The extension loads and activates inside a real VS Code and registers its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'llmbalance.llm-balance';

describe('smoke', () => {
  it('runs inside a real VS Code', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it(`has the extension ${EXTENSION_ID}`, () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `extension ${EXTENSION_ID} is not loaded`);
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers llmBalance.check', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('llmBalance.check'), 'command llmBalance.check is not registered');
  });
});
