// Ctrl-C / SIGTERM: the first stops the run gracefully (reports are still written, exit 130);
// a second one exits at once.
export function onInterrupt(stopGracefully: () => void, exitNow: () => void): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) stopGracefully();
    else exitNow();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
