using System.Reflection;

namespace KerasBackend.Tool;

/// <summary>A <c>kbackend</c> subcommand. Each lives in its own file under Commands/ and is found by reflection.</summary>
internal interface ICommand
{
    string Name { get; }
    string Summary { get; }
    string Usage { get; }
    /// <summary>Runs the command; returns the process exit code.</summary>
    int Run(string[] args, TextWriter stdout, TextWriter stderr);
}

internal static class Program
{
    internal static IReadOnlyList<ICommand> Commands { get; } = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(ICommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
        .Select(t => (ICommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine("kbackend: the KerasBackend command-line tool\n");
            stdout.WriteLine("usage: kbackend <command> [options]\n\ncommands:");
            foreach (var c in Commands) stdout.WriteLine($"  {c.Name,-8} {c.Summary}");
            stdout.WriteLine("\n`kbackend <command> --help` shows a command's options.");
            return args.Length == 0 ? 2 : 0;
        }
        var cmd = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (cmd is null)
        {
            stderr.WriteLine($"kbackend: unknown command '{args[0]}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
            return 2;
        }
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(cmd.Usage);
            return 0;
        }
        try
        {
            return cmd.Run(args[1..], stdout, stderr);
        }
        catch (Exception e) when (e is KerasValueException or KerasConfigException or ArgumentException or IOException)
        {
            stderr.WriteLine($"kbackend {cmd.Name}: {e.Message}");
            return 1;
        }
    }
}
