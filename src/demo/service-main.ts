// Entry of every demo child process (forked from dist/demo/). Waits for its config over IPC, serves,
// reports its port, and ends itself when the parent goes away, so a child is never orphaned.
import type { ChildMessage, ConfigMessage } from './config.js';
import { serve } from './serve.js';
import { createServiceApp } from './service-app.js';

const SHUTDOWN_GRACE_MS = 2000;

function report(message: ChildMessage): void {
  process.send?.(message);
}

async function start(message: ConfigMessage): Promise<void> {
  const app = createServiceApp(message.config);
  const serving = await serve(app.handle, message.config.port);
  process.once('disconnect', () => {
    app.dispose();
    void serving.close();
    // Safety net only: fires if something still holds the event loop after the grace period.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), SHUTDOWN_GRACE_MS).unref();
  });
  report({ type: 'ready', port: serving.port });
}

if (!process.send) {
  console.error('bench demo: service-main is started by startTopology(), not directly');
  process.exitCode = 2;
} else {
  process.once('message', (message: ConfigMessage) => {
    start(message).catch((error: unknown) => {
      report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    });
  });
}
