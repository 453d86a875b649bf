// The renderer's entry: builds the store on the page's api, wires pushed events and the
// connection state into it, and renders the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, onConnectionChange } from './api';
import { App } from './components/App';
import { connectEvents, createAppStore } from './state/appStore';
import { StoreProvider } from './state/StoreContext';
import './styles/theme.css';

const store = createAppStore(api);
connectEvents(api, store);
onConnectionChange((connected) => store.getState().setConnected(connected));
void store.getState().start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store} api={api}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
