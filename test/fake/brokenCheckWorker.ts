// A check worker whose script fails as it loads (a bundle missing from an install, say).
throw new Error('check-worker.js could not be loaded');
