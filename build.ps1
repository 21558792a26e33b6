# KerasBackend build entry point (PowerShell). Same verbs as build.sh.
param([Parameter(Position = 0)][string]$Verb = "build", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"
$Config = if ($env:CONFIG) { $env:CONFIG } else { "Release" }
switch ($Verb) {
  "build"  { dotnet build KerasBackend.sln -c $Config @Rest }
  "test"   { dotnet test KerasBackend.sln -c $Config --logger trx --results-directory TestResults @Rest }
  "tour"   { dotnet run --project Samples/Tour -c $Config -- @Rest }
  "sample" { if (Test-Path Samples/Digits) { dotnet run --project Samples/Digits -c $Config -- @Rest } else { dotnet run --project Samples/Tour -c $Config -- @Rest } }
  "pack"   {
    # Both packages (library with its generator, kbackend tool) and their symbols; -o DIR as in build.sh.
    $out = "artifacts"; if ($Rest.Count -ge 2 -and $Rest[0] -eq "-o") { $out = $Rest[1]; $Rest = $Rest[2..$Rest.Count] }
    foreach ($p in "Runtime/KerasBackend.csproj", "Tools/kbackend/kbackend.csproj") {
      dotnet pack $p -c $Config -o $out -p:ContinuousIntegrationBuild=true @Rest
      if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
  }
  "docs"   {
    dotnet run --project Tools/kbackend -c $Config -- docs --out docs/reference --diagnostics docs/diagnostics
    if ($Rest -notcontains "--no-site") { dotnet tool restore | Out-Null; dotnet docfx docs/docfx.json }
  }
  "bench-all" { & sh Tools/Bench/bench_all.sh @Rest }
  "bench"  { if (Test-Path Tools/Bench) { dotnet run --project Tools/Bench -c Release -- @Rest } else { dotnet run --project Tools/kbackend -c Release -- bench @Rest } }
  "golden" {
    # ./build.ps1 golden [FAMILY ...] [--rewrite] [--strict] [--summary]: regenerates only the named families.
    python3 -c "import numpy" 2>$null
    if ($LASTEXITCODE -ne 0) { Write-Error "golden: python3 has no numpy; install it first (python3 -m pip install numpy), then run again"; exit 1 }
    python3 Conformance/GoldenMaker/make_golden.py @Rest
  }
  "check"  { dotnet run --project Tools/kbackend -c $Config -- check @Rest }
  { $_ -in "ops", "info" } { dotnet run --project Tools/kbackend -c $Config -- $Verb @Rest }
  "clean"  { Remove-Item -Recurse -Force TestResults, artifacts, docs/reference, docs/_site, docs/obj -ErrorAction SilentlyContinue; dotnet clean KerasBackend.sln -c $Config }
  default  { Write-Error "usage: ./build.ps1 {build|test|tour|sample|pack|docs|bench|bench-all|golden|check|ops|info|clean} [args]"; exit 2 }
}
exit $LASTEXITCODE
