console.log('llm-balance: not built yet');
