using System.Linq.Expressions;
using System.Reflection;
using KerasBackend.Graph;

namespace KerasBackend.Composites;

/// <summary>The session and graph-scope functions of Spec/ops/session.json (Keras 2's symbolic, eager, learning_phase_scope, name_scope, ...).</summary>
internal static class SessionOps
{
    public static Delegate Symbolic(Delegate func) => Wrap(func, ExecutionMode.Symbolic);

    public static Delegate Eager(Delegate func) => Wrap(func, ExecutionMode.Eager);

    public static IDisposable LearningPhaseScope(int value) => Session.LearningPhaseScope(value);

    public static IDisposable NameScope(string name) => Graph.NameScope.Enter(name);

    public static string NormalizeDataFormat(string? value) => (value ?? Config.ImageDataFormat).ToLowerInvariant();

    public static IDisposable ControlDependencies(IReadOnlyList<Tensor>? controlInputs)
    {
        if (controlInputs is not null)
            for (int i = 0; i < controlInputs.Count; i++)
                if (controlInputs[i] is null) throw Errors.Null("control_dependencies", "control_inputs");
        return ControlScope.Enter(controlInputs);
    }

    public static KerasSession GetSession() => Session.Current;

    public static void SetSession(object? session) => Session.SetCurrent(session as KerasSession
        ?? throw new KerasTypeException("set_session", "session",
            $"set_session: expected a session returned by K.GetSession() (KerasSession); there is no TensorFlow session in KerasBackend. Received: session={Format.Py(session)} ({session?.GetType().Name ?? "null"})"));

    // A delegate of func's own type whose body runs func under the mode: (args) => Session.RunIn(mode, () => func(args)).
    private static Delegate Wrap(Delegate func, ExecutionMode mode)
    {
        var invoke = func.GetType().GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var call = Expression.Invoke(Expression.Constant(func), ps);
        Expression body;
        if (invoke.ReturnType == typeof(void))
            body = Expression.Call(s_runAction, Expression.Constant(mode), Expression.Lambda<Action>(call));
        else
            body = Expression.Call(s_runFunc.MakeGenericMethod(invoke.ReturnType), Expression.Constant(mode),
                Expression.Lambda(typeof(Func<>).MakeGenericType(invoke.ReturnType), call));
        return Expression.Lambda(func.GetType(), body, ps).Compile();
    }

    private static readonly MethodInfo s_runFunc = typeof(Session).GetMethod(nameof(Session.RunIn), BindingFlags.NonPublic | BindingFlags.Static, [typeof(ExecutionMode), typeof(Func<>).MakeGenericType(Type.MakeGenericMethodParameter(0))])!;
    private static readonly MethodInfo s_runAction = typeof(Session).GetMethod(nameof(Session.RunIn), BindingFlags.NonPublic | BindingFlags.Static, [typeof(ExecutionMode), typeof(Action)])!;
}
