import { createRoot } from 'react-dom/client';
import { connectBackend } from './bridge/connection';
import { createCommandStore } from './stores/commands';
import { createWorkbenchStore } from './stores/workbench-store';
import { App } from './shell/App';
import './styles/app.css';

const backend = connectBackend();
const services = { backend, workbench: createWorkbenchStore(backend), commands: createCommandStore() };
createRoot(document.getElementById('root')!).render(<App services={services} />);
