namespace KerasBackend;

/// <summary>
/// Keras' <c>ValueError</c>: an argument has the right type but a value or shape the op cannot take.
/// Derives from <see cref="ArgumentException"/>; <see cref="ArgumentException.ParamName"/> names the argument.
/// </summary>
public class KerasValueException(string op, string? paramName, string message)
    : ArgumentException(message, paramName)
{
    /// <summary>The Keras name of the op that raised it (<c>dot</c>, <c>set_floatx</c>, ...).</summary>
    public string Op { get; } = op;
    /// <summary>The message without the parameter suffix that <see cref="ArgumentException"/> appends.</summary>
    public string Reason { get; } = message;
    /// <summary>The Keras error kind this stands for.</summary>
    public virtual string KerasKind => "ValueError";
}

/// <summary>Keras' <c>TypeError</c>: an argument of a type (or dtype) the op does not take.</summary>
public class KerasTypeException(string op, string? paramName, string message)
    : KerasValueException(op, paramName, message)
{
    public override string KerasKind => "TypeError";
}

/// <summary>Keras' <c>IndexError</c>: an index out of range (gather indices, axes).</summary>
public class KerasIndexException(string op, string? paramName, string message)
    : KerasValueException(op, paramName, message)
{
    public override string KerasKind => "IndexError";
}

/// <summary>Raised for a problem with the configuration (keras.json, KERAS_BACKEND) or with loading a backend.</summary>
public class KerasConfigException(string message, Exception? inner = null) : InvalidOperationException(message, inner)
{
    public string KerasKind => "ValueError";
}

/// <summary>The one place that builds error objects: the generated facade and the runtime call it.</summary>
public static class Errors
{
    /// <summary>Makes the exception for a Keras error kind (<c>ValueError</c>, <c>TypeError</c>, <c>IndexError</c>).</summary>
    public static KerasValueException Make(string kind, string op, string? param, string message) => kind switch
    {
        "TypeError" => new KerasTypeException(op, param, message),
        "IndexError" => new KerasIndexException(op, param, message),
        _ => new KerasValueException(op, param, message),
    };

    /// <summary>Null argument: a TypeError naming the op and argument.</summary>
    public static KerasTypeException Null(string op, string param) =>
        new(op, param, $"{op}: argument `{param}` must not be null.");
}
