namespace KerasBackend.Conformance;

/// <summary>The built-in backends every value test runs on.</summary>
public static class Backends
{
    public static TheoryData<string> Names => new() { "cpu", "numpy" };
}
