; Inno Setup 6.3+ script: a per-user installer for ChamberDesk (商会台账), no administrator rights needed.
;   iscc /DAppVersion=0.1.0 /DDistDir=..\dist\ChamberDesk installer\chamberdesk.iss
; (build.ps1 passes the version from pyproject.toml.) Installs into %LOCALAPPDATA%\Programs\ChamberDesk.
; The clerk's data (%LOCALAPPDATA%\ChamberDesk: data files, backups, evidence, own rubrics) is never
; touched, not even by the uninstaller.

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible, UTF-8 script without BOM)
#endif
; The version comes from pyproject.toml ([project] version = "…") unless /DAppVersion= is given.
#ifndef AppVersion
  #define AppVersion ""
  #define PyProject FileOpen(AddBackslash(SourcePath) + "..\pyproject.toml")
  #if !PyProject
    #error pyproject.toml not found next to the installer folder: pass /DAppVersion=
  #endif
  #define Line ""
  #sub ReadVersionLine
    #define public Line FileRead(PyProject)
    #if AppVersion == "" && Copy(Line, 1, 11) == 'version = "'
      #define public AppVersion Copy(Line, 12, Pos('"', Copy(Line, 12)) - 1)
    #endif
  #endsub
  #for {Line = ""; !FileEof(PyProject); ""} ReadVersionLine
  #expr FileClose(PyProject)
  #if AppVersion == ""
    #error no version = "…" line in pyproject.toml
  #endif
#endif
; Windows version resources take numbers only: build.ps1 passes /DFileVersion=0.2.0 for "0.2.0rc1".
#ifndef FileVersion
  #define FileVersion AppVersion
#endif
#ifndef DistDir
  #define DistDir "..\dist\ChamberDesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
; /DCompression=zip makes a quick trial build; releases use the default.
#ifndef Compression
  #define Compression "lzma2/ultra64"
#endif
#if !FileExists(AddBackslash(DistDir) + "ChamberDesk.exe")
  #error ChamberDesk.exe not found in DistDir: run PyInstaller first (installer\build.ps1 does)
#endif
#define AppName "商会台账"
#define AppExe "ChamberDesk.exe"

[Setup]
; A fixed AppId: upgrades find and replace the previous version instead of installing beside it.
AppId={{6F1C2E0A-5B7D-4C2B-9E61-CD2024C0DE51}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ChamberDesk
VersionInfoVersion={#FileVersion}
VersionInfoProductVersion={#FileVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoCompany=ChamberDesk
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\ChamberDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
; No install-mode question for clerks; an IT helper may pass /ALLUSERS from an administrator prompt.
PrivilegesRequiredOverridesAllowed=commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ChamberDesk-Setup-{#AppVersion}
SetupIconFile=chamberdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression={#Compression}
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Inno Setup ships no Simplified Chinese catalogue: build.ps1 fetches the maintained one and passes
; /DChineseIsl=; a copy next to this script also works; else the wizard speaks English.
#ifdef ChineseIsl
Name: "chs"; MessagesFile: "{#ChineseIsl}"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："
Name: "assocfiles"; Description: "在“打开方式”中列出商会台账（数据文件 .db、上报数据包 .zip）"; GroupDescription: "文件关联："

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not leave stale modules of the previous version beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
#if FileExists(AddBackslash(DistDir) + "_internal\docs\manual.pdf")
Name: "{group}\使用手册"; Filename: "{app}\_internal\docs\manual.pdf"
#endif
; cmd /k "…" keeps the window open to read the result; the outer quotes survive a user name with spaces.
Name: "{group}\安装自检"; Filename: "{cmd}"; Parameters: "/k """"{app}\chamberdesk-cli.exe"" selfcheck"""; WorkingDir: "{app}"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; File association (HKCU\Software\Classes for a per-user install). The upward data package is an
; ordinary .zip (chamberdesk\io\package.py) and the data file an ordinary .db, so neither extension is
; taken over: ChamberDesk is offered under "打开方式" (OpenWithProgids), the clerk's default stays.
; The launcher tells our packages from other zips by the manifest inside.
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package"; ValueType: string; ValueName: ""; ValueData: "商会台账上报数据包"; Flags: uninsdeletekey; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package"; ValueType: string; ValueName: "FriendlyTypeName"; ValueData: "商会台账上报数据包"; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.DataFile"; ValueType: string; ValueName: ""; ValueData: "商会台账数据文件"; Flags: uninsdeletekey; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.DataFile\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\ChamberDesk.DataFile\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\.zip\OpenWithProgids"; ValueType: string; ValueName: "ChamberDesk.Package"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\.db\OpenWithProgids"; ValueType: string; ValueName: "ChamberDesk.DataFile"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocfiles
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".zip"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".db"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即启动{#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself writes inside its own folder; the user data folder stays.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox('商会台账已卸载。您的数据文件和备份仍保留在：' + #13#10 +
           ExpandConstant('{localappdata}\ChamberDesk') + #13#10 +
           '重新安装后即可继续使用；如确定不再需要，可手动删除该文件夹。',
           mbInformation, MB_OK);
end;
