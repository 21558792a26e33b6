// The seed's walkthrough of the Keras backend API, in C#, on the default backend.
using KerasBackend;

Console.WriteLine($"Using the '{K.Backend()}' backend (floatx={K.Floatx()}, epsilon={K.Epsilon()}).\n");

// Arithmetic, broadcasting and the nD dot.
var a = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
var b = K.Ones([2, 3]);
Console.WriteLine($"a + b =\n{a + b}\n");
Console.WriteLine($"a * 2 - 1 =\n{a * 2 - 1}\n");
Console.WriteLine($"K.Dot(a, K.Transpose(a)) =\n{K.Dot(a, K.Transpose(a))}\n");
Console.WriteLine($"K.Sum(a, axis: 1) = {K.Sum(a, axis: 1)}");
Console.WriteLine($"K.Concatenate([a, b], axis: -1).Shape = {K.Concatenate([a, b], axis: -1).Shape}");
Console.WriteLine($"K.Dot(K.Ones([2, 3]), K.Ones([4, 3, 5])).Shape = {K.Dot(K.Ones([2, 3]), K.Ones([4, 3, 5])).Shape}");
