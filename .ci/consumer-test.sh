#!/usr/bin/env bash
# The consumer test: use the packages the way a NuGet user does, outside this repository.
#  1. Pack KerasBackend and kbackend into a temporary folder (./build.sh pack -o).
#  2. In a temporary folder outside the repository, with an empty package cache and only that folder and the
#     public feed as sources, create:
#       MyBackend  a class library with an external backend: [BackendImplementation] on a class implementing every
#                  kernel of IBackend (each forwards to the numpy backend and counts the call);
#       Partial    the same class without one kernel: its build must fail with KB0100 naming that kernel;
#       App        a console program using placeholders, K.Gradients, K.Function with updates, and MyBackend.
#  3. Install the kbackend tool into a tool path from that folder and run `kbackend check --backend` (the golden corpus)
#     and `kbackend check --properties --backend` (the spec's properties) on MyBackend.
# The backend's source is written from `kbackend ops --json` (each kernel's C# signature), so it follows the spec.
# Usage: .ci/consumer-test.sh   (prints "consumer test: passed" and exits 0, or says what failed and exits 1)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kerasbackend-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
fail() { echo "consumer test: FAILED: $*" >&2; exit 1; }
run() { # run LOG command...: quiet unless it fails
  local log=$1; shift
  "$@" >"$work/$log.log" 2>&1 || { tail -40 "$work/$log.log" >&2; fail "$log ($*)"; }
}

echo "consumer test: packing into $work/feed"
run pack "$repo/build.sh" pack -o "$work/feed"
version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$repo/Directory.Build.props" | head -1)
[ -f "$work/feed/KerasBackend.$version.nupkg" ] && [ -f "$work/feed/kbackend.$version.nupkg" ] || fail "packages $version not in $work/feed"

cd "$work"
cat > nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF

echo "consumer test: installing the kbackend tool into $work/tools"
run tool-install dotnet tool install kbackend --version "$version" --tool-path "$work/tools"
kbackend="$work/tools/kbackend"
run tool-info "$kbackend" info
"$kbackend" ops --json > ops.json || fail "kbackend ops --json"

# The external backend's source from the kernel signatures; the Partial project gets it without Abs.
python3 - ops.json <<'PY'
import json, sys
ops = json.load(open(sys.argv[1]))["ops"]
kernels = [o["kernel"] for o in ops if o["kernel"]]
def source(skip, cls):
    out = ["using System.Collections.Generic;", "using KerasBackend;", "", "namespace Consumer;", "",
           "/// <summary>An external backend: every kernel forwards to the numpy reference backend and counts the call.</summary>",
           f'[BackendImplementation("{cls.lower()}")]', f"public sealed class {cls} : IBackend", "{",
           '    private readonly IBackend _inner = Backend.Create("numpy");', "    public static int Calls;",
           f'    public string Name => "{cls.lower()}";']
    for k in kernels:
        if k["name"] == skip:
            continue
        params = ", ".join(f'{p["type"]} {p["name"]}' for p in k["params"])
        args = ", ".join(p["name"] for p in k["params"])
        out.append(f'    public {k["returns"]} {k["name"]}({params}) {{ Calls++; {"" if k["returns"] == "void" else "return "}_inner.{k["name"]}({args}); }}')
    out.append("}")
    return "\n".join(out) + "\n"
import os
for d in ("MyBackend", "Partial"):
    os.makedirs(d, exist_ok=True)
open("MyBackend/ForwardingBackend.cs", "w").write(source(None, "ForwardingBackend"))
open("Partial/PartialBackend.cs", "w").write(source("Abs", "PartialBackend"))
print(f"consumer test: {len(kernels)} kernels")
PY

library() { # library NAME: a class library referencing the package
  cat > "$1/$1.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="KerasBackend" Version="$version" />
  </ItemGroup>
</Project>
EOF
}
library MyBackend
library Partial

echo "consumer test: a backend missing one kernel must not compile (KB0100)"
if dotnet build Partial -c Release >partial.log 2>&1; then fail "Partial (missing Abs) compiled"; fi
grep -q "error KB0100: .*PartialBackend.* lacks 1 kernel.*Abs" partial.log || { tail -20 partial.log >&2; fail "Partial failed without KB0100 naming Abs"; }

mkdir App
cat > App/App.csproj <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="KerasBackend" Version="$version" />
    <ProjectReference Include="../MyBackend/MyBackend.csproj" />
  </ItemGroup>
</Project>
EOF
cat > App/Program.cs <<'EOF'
using KerasBackend;

// One step of gradient descent on mean((a . w)^2), in the Keras 2 style: placeholder, K.Gradients, K.Function.
static float[] Step(string backend)
{
    Backend.Set(backend);
    var a = K.Placeholder(shape: [null, 3]);
    var w = K.Variable(K.Ones([3, 1]));
    var loss = K.Mean(K.Square(K.Dot(a, w)));
    var grad = K.Gradients(loss, [w])[0];
    var step = K.Function([a], [loss, grad], updates: [K.UpdateSub(w, grad * 0.1)]);
    var outs = step.Call(K.Constant(new float[,] { { 1, 2, 3 } }));
    return [.. outs[0].ToArray<float>(), .. outs[1].ToArray<float>(), .. K.GetValue(w).ToArray<float>()];
}

var expected = new float[] { 36, 12, 24, 36, -0.2f, -1.4f, -2.6f };   // loss, gradient, updated w
var external = typeof(Consumer.ForwardingBackend).Assembly.Location + ":Consumer.ForwardingBackend";
int failures = 0;
foreach (var backend in new[] { "cpu", external })
{
    var got = Step(backend);
    bool ok = got.Length == expected.Length && got.Zip(expected).All(p => Math.Abs(p.First - p.Second) < 1e-5);
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {K.Backend()}: [{string.Join(", ", got)}]");
    if (!ok) failures++;
}
// The external backend ran the kernels (it counts them in its own load context).
int calls = (int)Backend.Current.GetType().GetField("Calls")!.GetValue(null)!;
Console.WriteLine($"external backend kernel calls: {calls}");
if (calls == 0) failures++;
// A bad argument is a typed Keras error.
try { K.Sum(K.Ones([2]), axis: 3); failures++; }
catch (KerasValueException e) { Console.WriteLine($"ok   error: {e.Message}"); }
return failures == 0 ? 0 : 1;
EOF
echo "consumer test: building and running the console program"
run app-build dotnet build App -c Release
run app-run dotnet App/bin/Release/net10.0/App.dll
cat app-run.log

echo "consumer test: kbackend check on the external backend"
external="$work/MyBackend/bin/Release/net10.0/MyBackend.dll:Consumer.ForwardingBackend"
run check "$kbackend" check --backend "$external"
tail -1 check.log
echo "consumer test: kbackend check --properties on the external backend"
run properties "$kbackend" check --properties --backend "$external" --iterations 10
tail -1 properties.log
echo "consumer test: passed"
