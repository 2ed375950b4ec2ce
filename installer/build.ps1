# Build the Windows installer: venv, tests (optional), PyInstaller one-folder build, frozen self-check,
# Inno Setup. Run from any folder in PowerShell 5+ on Windows 10/11:
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 [-SkipTests] [-Python py]
# Needs Python 3.11+ and Inno Setup 6 (winget install JRSoftware.InnoSetup, or choco install innosetup).
param(
    [switch]$SkipTests,
    [string]$Python = "py"
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Step($text) { Write-Host "==> $text" -ForegroundColor Cyan }

Step "Python environment (.venv-build)"
if (-not (Test-Path ".venv-build\Scripts\python.exe")) {
    if ($Python -eq "py") { & py -3.11 -m venv .venv-build } else { & $Python -m venv .venv-build }
}
$Py = Join-Path $Root ".venv-build\Scripts\python.exe"
& $Py -m pip install --quiet --upgrade pip
& $Py -m pip install --quiet -e ".[test,pg,build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

$Version = (& $Py -c "import chamberdesk; print(chamberdesk.__version__)").Trim()
Step "ChamberDesk $Version"

if (-not $SkipTests) {
    Step "Tests"
    $env:QT_QPA_PLATFORM = "offscreen"
    & $Py -m pytest -q -p no:cacheprovider
    if ($LASTEXITCODE -ne 0) { throw "tests failed" }
}

Step "Icon"
if (-not (Test-Path "installer\chamberdesk.ico")) { & $Py installer\make_icon.py }

Step "PyInstaller (one folder)"
& $Py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installer\chamberdesk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Step "Frozen self-check"
$env:QT_QPA_PLATFORM = "offscreen"
& "dist\ChamberDesk\chamberdesk-cli.exe" selfcheck
if ($LASTEXITCODE -ne 0) { throw "the frozen program failed its self-check" }
Remove-Item Env:\QT_QPA_PLATFORM

Step "Inno Setup"
$Iscc = @(
    (Get-Command iscc.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source),
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe",
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) { throw "Inno Setup 6 not found: winget install JRSoftware.InnoSetup" }
$Isl = "installer\ChineseSimplified.isl"
if (-not (Test-Path $Isl)) {
    # The Chinese catalogue is maintained outside Inno Setup's release; without it the wizard is English.
    try {
        Invoke-WebRequest -UseBasicParsing -OutFile $Isl `
            "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/ChineseSimplified.isl"
    } catch { Write-Warning "ChineseSimplified.isl not available: the installer wizard will be in English" }
}
& $Iscc "/DAppVersion=$Version" "/DDistDir=$Root\dist\ChamberDesk" "/DOutputDir=$Root\dist" installer\chamberdesk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }

$Setup = Get-Item "dist\ChamberDesk-Setup-$Version.exe"
$Folder = (Get-ChildItem -Recurse dist\ChamberDesk | Measure-Object -Sum Length).Sum
Step ("Installer: {0} ({1:N1} MB); installed folder {2:N1} MB" -f $Setup.Name, ($Setup.Length / 1MB), ($Folder / 1MB))
