namespace KerasBackend;

/// <summary>Element types a tensor can hold, spelled as Keras spells them (<c>float32</c>, <c>int64</c>, ...).</summary>
public enum DType : byte
{
    Float16,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    Bool,
}

/// <summary>Names, sizes, CLR types and the promotion table of <see cref="DType"/>.</summary>
public static class DTypes
{
    private static readonly string[] Names =
        ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"];

    /// <summary>Every dtype, in declaration order.</summary>
    public static IReadOnlyList<DType> All { get; } = Enum.GetValues<DType>();

    /// <summary>The Keras name of the dtype (<c>"float32"</c>).</summary>
    public static string Name(this DType dtype) => Names[(int)dtype];

    /// <summary>True for float16, float32 and float64.</summary>
    public static bool IsFloat(this DType dtype) => dtype <= DType.Float64;

    /// <summary>True for the signed and unsigned integer dtypes (not bool).</summary>
    public static bool IsInteger(this DType dtype) => dtype is >= DType.Int8 and <= DType.UInt8;

    /// <summary>Size of one element in bytes.</summary>
    public static int ItemSize(this DType dtype) => dtype switch
    {
        DType.Float16 or DType.Int16 => 2,
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        _ => 1,
    };

    /// <summary>The CLR element type that stores this dtype.</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float16 => typeof(Half),
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int8 => typeof(sbyte),
        DType.Int16 => typeof(short),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.UInt8 => typeof(byte),
        _ => typeof(bool),
    };

    /// <summary>The dtype stored as CLR type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new KerasTypeException("tensor", "T", $"Unsupported element type {typeof(T).Name}. Expected one of float, double, Half, sbyte, short, int, long, byte, bool.");
    }

    /// <summary>True when <paramref name="dtype"/> is one of the declared values (a cast such as <c>(DType)9</c> is not).</summary>
    public static bool IsDefined(this DType dtype) => (uint)dtype < (uint)Names.Length;

    /// <summary>
    /// Checks an enum argument at the API boundary: a value outside the declared ones (<c>(DType)9</c>) is a
    /// <see cref="KerasTypeException"/> naming the op and argument, as Keras rejects a dtype it does not know.
    /// The generated facade calls it for every <c>dtype</c> parameter.
    /// </summary>
    public static void Validate(DType? dtype, string op, string param)
    {
        if (dtype is { } d && !d.IsDefined())
            throw new KerasTypeException(op, param,
                $"{op}: invalid dtype. Expected one of {string.Join(", ", Names)}. Received: {param}=(DType){(int)d}");
    }

    /// <summary>Parses a Keras dtype name; throws <see cref="KerasTypeException"/> naming the allowed values.</summary>
    public static DType Parse(string name, string op = "dtype", string param = "dtype")
    {
        if (TryParse(name, out var d)) return d;
        throw new KerasTypeException(op, param,
            $"Unknown dtype: {name ?? "None"}. Expected one of {string.Join(", ", Names)}.");
    }

    /// <summary>Parses a Keras dtype name (also accepts numpy aliases such as <c>float</c>, <c>int</c>, <c>half</c>).</summary>
    public static bool TryParse(string? name, out DType dtype)
    {
        dtype = default;
        if (name is null) return false;
        var n = name.Trim().ToLowerInvariant();
        n = n switch { "float" or "double" => "float64", "half" => "float16", "int" or "long" => "int64", "bool_" or "boolean" => "bool", "single" => "float32", _ => n };
        int i = Array.IndexOf(Names, n);
        if (i < 0) return false;
        dtype = (DType)i;
        return true;
    }

    // Promotion follows Keras 3's lattice (keras/src/backend/common/dtypes.py, which follows JAX):
    // bool -> uint8 -> int8... joins; any int with any float gives the float; unsigned/signed of the
    // same width widen to the next signed width; uint8 + int64 stays int64.
    /// <summary>The dtype of a binary op on <paramref name="a"/> and <paramref name="b"/> (Keras 3 <c>result_type</c>).</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        if (a == DType.Bool) return b;
        if (b == DType.Bool) return a;
        if (a.IsFloat() && b.IsFloat()) return (DType)Math.Max((int)a, (int)b);
        if (a.IsFloat()) return a;
        if (b.IsFloat()) return b;
        // both integers
        if (a == DType.UInt8 || b == DType.UInt8)
        {
            var s = a == DType.UInt8 ? b : a; // the signed one
            return s == DType.Int8 ? DType.Int16 : s;
        }
        return (DType)Math.Max((int)a, (int)b);
    }

    /// <summary>Promotion when one side is a weakly typed C# scalar (<c>x + 2</c>, <c>x * 0.5</c>).</summary>
    public static DType PromoteWeak(DType tensor, bool scalarIsFloat)
    {
        // bool joins a weak int at the weak int itself, which resolves to the int of floatx's width (Keras 3's _resolve_weak_type).
        if (!scalarIsFloat) return tensor != DType.Bool ? tensor : Config.Floatx switch { DType.Float16 => DType.Int16, DType.Float64 => DType.Int64, _ => DType.Int32 };
        return tensor.IsFloat() ? tensor : Config.Floatx;
    }

    /// <summary>Result dtype of ops that always produce floats (mean, var, exp on ints): ints and bool become floatx.</summary>
    public static DType ToFloat(DType dtype) => dtype.IsFloat() ? dtype : Config.Floatx;
}
