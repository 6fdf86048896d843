using Resilience.SensorSimulator;

return await SimulatorProgram.RunAsync(args);
