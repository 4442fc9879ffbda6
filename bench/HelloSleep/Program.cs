Console.WriteLine("Hello, sleeping.");
Thread.Sleep(Timeout.Infinite);
