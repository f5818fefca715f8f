// The --vscode-* variables VS Code puts on a webview's <html>, for the Dark Modern and Light
// Modern themes (the part the panel uses), so the test page looks like the real thing.
const FONT = '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif';

export interface Theme {
  kind: 'vscode-dark' | 'vscode-light';
  vars: Record<string, string>;
}

export const DARK: Theme = {
  kind: 'vscode-dark',
  vars: {
    'font-family': FONT, 'font-size': '13px', 'editor-background': '#1f1f1f', 'foreground': '#cccccc',
    'descriptionForeground': '#9d9d9d', 'focusBorder': '#0078d4', 'button-background': '#0078d4',
    'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'button-border': '#ffffff12',
    'widget-border': '#313131', 'panel-border': '#2b2b2b', 'editorWidget-background': '#202020', 'editorWidget-border': '#454545',
    'errorForeground': '#f85149', 'editorWarning-foreground': '#cca700', 'toolbar-hoverBackground': '#5a5d5e50',
    'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-yellow': '#cca700', 'charts-orange': '#d18616',
    'charts-green': '#89d185', 'charts-purple': '#b180d7',
  },
};

export const LIGHT: Theme = {
  kind: 'vscode-light',
  vars: {
    'font-family': FONT, 'font-size': '13px', 'editor-background': '#ffffff', 'foreground': '#3b3b3b',
    'descriptionForeground': '#717171', 'focusBorder': '#005fb8', 'button-background': '#005fb8',
    'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'button-border': '#0000001a',
    'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8',
    'errorForeground': '#f85149', 'editorWarning-foreground': '#bf8803', 'toolbar-hoverBackground': '#b8b8b850',
    'charts-red': '#e51400', 'charts-blue': '#1a85ff', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616',
    'charts-green': '#388a34', 'charts-purple': '#652d90',
  },
};
