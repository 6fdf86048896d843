using Resilience.LoadGenerator;

return await LoadProgram.RunAsync(args);
