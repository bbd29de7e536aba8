import { render } from 'preact';
import { App } from './App.js';
import { html } from './html.js';

const root = document.getElementById('app')!;
root.textContent = '';
render(html`<${App} />`, root);
