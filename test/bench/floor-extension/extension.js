// The least an extension like ours can do on activation: show one status bar item.
// scripts/bench-activation.mjs measures LLM Balance against this in VS Code's own figure.
const vscode = require('vscode');

exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem('floor.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Floor';
  item.text = '$(credit-card) Floor';
  item.show();
  context.subscriptions.push(item);
};
