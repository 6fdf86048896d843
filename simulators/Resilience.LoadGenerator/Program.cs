Console.Error.WriteLine("resilience-simulator: not built yet (issue 4).");
return 2;
