namespace Portal.Testing;

/// <summary>One portal shared by the tests of a class (xunit class fixture).</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new();

    public ValueTask InitializeAsync()
    {
        // Building the host migrates the database and creates the bootstrap admin.
        _ = Factory.Server;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
