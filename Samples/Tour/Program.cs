// A tour of the Keras backend API in C#, following the walkthrough of "keras backends" step by step,
// on the default backend (KERAS_BACKEND=numpy runs it on the reference backend instead).
using KerasBackend;

Console.WriteLine($"Using the '{K.Backend()}' backend (floatx={K.Floatx()}, epsilon={K.Epsilon()}, image_data_format={K.ImageDataFormat()}).\n");

// 1. A placeholder: a symbolic input with a static shape (None = unknown batch size).
var inputs = K.Placeholder(shape: [2, 4, 5]);
Console.WriteLine($"K.Placeholder(shape: [2, 4, 5])        -> {inputs}");
var batch = K.Placeholder(shape: [null, 4, 5]);
Console.WriteLine($"K.Placeholder(shape: [null, 4, 5])     -> int_shape {Show(K.IntShape(batch))}");
var byRank = K.Placeholder(ndim: 3);
Console.WriteLine($"K.Placeholder(ndim: 3)                 -> int_shape {Show(K.IntShape(byRank))}\n");

// 2. Variables: named, mutable tensors.
var val = K.Constant(new double[,] { { 1, 2 }, { 3, 4 } }, DType.Float64);
var v = K.Variable(val, DType.Float64, name: "example_var");
Console.WriteLine($"K.Variable(...)  -> {v.Name}, dtype {K.DType(v)}\n{K.Eval(v)}\n");

// 3. All-zeros, all-ones and identity tensors.
Console.WriteLine($"K.Zeros([3, 4])  =\n{K.Zeros([3, 4])}\n");
Console.WriteLine($"K.Ones([3, 4])   =\n{K.Ones([3, 4])}\n");
Console.WriteLine($"K.Eye([3])       =\n{K.Eye([3])}\n");

// 4. Random variables (seeded, so the tour prints the same numbers on every run and backend).
var ru = K.RandomUniformVariable([2, 3], low: 0, high: 1, seed: 42);
var rn = K.RandomNormalVariable([2, 3], mean: 0, scale: 1, seed: 42);
Console.WriteLine($"K.RandomUniformVariable([2, 3], 0, 1, seed: 42) =\n{K.Eval(ru)}\n");
Console.WriteLine($"K.RandomNormalVariable([2, 3], 0, 1, seed: 42)  =\n{K.Eval(rn)}\n");

// 5. Tensor arithmetic: C# operators with numpy broadcasting.
var a = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
var b = K.Ones([2, 3]);
Console.WriteLine($"a + b     =\n{a + b}\n");
Console.WriteLine($"a * 2 - 1 =\n{a * 2 - 1}\n");
Console.WriteLine($"a / b     =\n{a / b}\n");

// 6. dot (Theano-style nD), transpose, sum, softmax, concatenate.
Console.WriteLine($"K.Dot(a, K.Transpose(a)) =\n{K.Dot(a, K.Transpose(a))}\n");
Console.WriteLine($"K.Dot(ones(2, 3), ones(4, 3, 5)).Shape = {K.Dot(K.Ones([2, 3]), K.Ones([4, 3, 5])).Shape}");
Console.WriteLine($"K.Sum(a, axis: 1)          = {K.Sum(a, axis: 1)}");
Console.WriteLine($"K.Softmax(a)               =\n{K.Softmax(a)}\n");
Console.WriteLine($"K.Concatenate([a, b], -1)  =\n{K.Concatenate([a, b], axis: -1)}\n");

// 7. A symbolic graph: ops on placeholders record nodes; K.Function runs them.
var x = K.Placeholder(shape: [null, 3]);
var y = K.Softmax(K.Dot(x, K.Transpose(a)));
Console.WriteLine($"y = K.Softmax(K.Dot(x, K.Transpose(a))) -> {y}");
var f = K.Function([x], [y]);
Console.WriteLine($"f(a)[0] =\n{f.Call(a)[0]}");

static string Show(int?[] shape) => "(" + string.Join(", ", shape.Select(d => d?.ToString() ?? "None")) + (shape.Length == 1 ? ",)" : ")");
