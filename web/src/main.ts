import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { ready } from './lib/i18n';

const target = document.getElementById('app');
// The saved language's catalogue first, so that the first screen is drawn in it.
if (target) void ready.then(() => mount(App, { target }));
