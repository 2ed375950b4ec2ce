# Build the Windows installer: venv, tests (optional), PyInstaller one-folder build, frozen self-check,
# Inno Setup. Run from any folder in Windows PowerShell 5.1 or PowerShell 7 on Windows 10/11:
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 [-SkipTests] [-Python py]
# Needs Python 3.11+ and Inno Setup 6.3+ (winget install JRSoftware.InnoSetup, or choco install innosetup).
# -Python names the interpreter that creates the build venv: "py" (the launcher, picks 3.11) or a path.
param(
    [switch]$SkipTests,
    [string]$Python = "py"
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Step($text) { Write-Host "==> $text" -ForegroundColor Cyan }
function Check($what) { if ($LASTEXITCODE -ne 0) { throw "$what failed (exit code $LASTEXITCODE)" } }

Step "Python environment (.venv-build)"
$Py = Join-Path $Root ".venv-build\Scripts\python.exe"
if (-not (Test-Path $Py)) {
    if ($Python -eq "py") { & py -3.11 -m venv .venv-build } else { & $Python -m venv .venv-build }
    Check "creating the venv"
}
& $Py -m pip install --quiet --upgrade pip
Check "pip upgrade"
& $Py -m pip install --quiet -e ".[test,pg,build]"
Check "pip install"

# The version lives in pyproject.toml; the package must say the same, or the About box and the
# installer would disagree.
$Version = (& $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
Check "reading pyproject.toml"
$PackageVersion = (& $Py -c "import chamberdesk; print(chamberdesk.__version__)").Trim()
if ($PackageVersion -ne $Version) { throw "pyproject.toml says $Version but chamberdesk.__version__ is $PackageVersion" }
# Windows version resources take numbers only: 0.2.0rc1 -> 0.2.0
$FileVersion = ($Version -replace '^(\d+(\.\d+){0,3}).*$', '$1')
Step "ChamberDesk $Version"

if (-not $SkipTests) {
    Step "Tests"
    $env:QT_QPA_PLATFORM = "offscreen"
    & $Py -m pytest -q -p no:cacheprovider
    Check "tests"
}

Step "Icon"
if (-not (Test-Path "installer\chamberdesk.ico")) { & $Py installer\make_icon.py; Check "make_icon" }

Step "PyInstaller (one folder)"
$Dist = Join-Path $Root "dist"
& $Py -m PyInstaller --noconfirm --clean --distpath $Dist --workpath (Join-Path $Root "build\pyinstaller") `
    (Join-Path $Root "installer\chamberdesk.spec")
Check "PyInstaller"
$App = Join-Path $Dist "ChamberDesk"

Step "Frozen self-check"
$env:QT_QPA_PLATFORM = "offscreen"
& (Join-Path $App "chamberdesk-cli.exe") selfcheck
Check "the frozen program's self-check"
Remove-Item Env:\QT_QPA_PLATFORM

Step "Inno Setup"
$Iscc = @(
    (Get-Command iscc.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source),
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe",
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) { throw "Inno Setup 6 not found: winget install JRSoftware.InnoSetup" }
Write-Host "using $Iscc"
$Iss = Join-Path $Root "installer\chamberdesk.iss"
$IsccArgs = @("/DAppVersion=$Version", "/DFileVersion=$FileVersion", "/DDistDir=$App", "/DOutputDir=$Dist")
# Inno Setup ships no Simplified Chinese wizard text; the maintained file lives in its repository.
# A copy placed at installer\ChineseSimplified.isl wins (offline builds); without any the wizard
# is in English (our own texts stay Chinese).
$Isl = Join-Path $Root "build\ChineseSimplified.isl"
if (-not (Test-Path (Join-Path $Root "installer\ChineseSimplified.isl"))) {
    try {
        New-Item -ItemType Directory -Force (Split-Path $Isl) | Out-Null
        Invoke-WebRequest -UseBasicParsing -OutFile $Isl `
            "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/ChineseSimplified.isl"
    } catch { Write-Warning "ChineseSimplified.isl not available: the installer wizard will be in English" }
}
if (Test-Path $Isl) {
    & $Iscc @IsccArgs "/DChineseIsl=$Isl" $Iss
    if ($LASTEXITCODE -ne 0) {
        # A catalogue written for another Inno Setup version: build in English rather than fail.
        Write-Warning "Inno Setup failed with the downloaded Chinese catalogue; retrying with the English wizard"
        & $Iscc @IsccArgs $Iss
    }
} else {
    & $Iscc @IsccArgs $Iss
}
Check "Inno Setup"

$Setup = Get-Item (Join-Path $Dist "ChamberDesk-Setup-$Version.exe")
$Folder = (Get-ChildItem -Recurse -File $App | Measure-Object -Sum Length).Sum
Step ("Installer: {0} ({1:N1} MB); installed folder {2:N1} MB" -f $Setup.FullName, ($Setup.Length / 1MB), ($Folder / 1MB))
