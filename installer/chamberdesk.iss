; Inno Setup 6 script: a per-user installer for ChamberDesk (商会台账), no administrator rights needed.
;   iscc /DAppVersion=0.1.0 /DDistDir=..\dist\ChamberDesk installer\chamberdesk.iss
; Installs into %LOCALAPPDATA%\Programs\ChamberDesk. The clerk's data (%LOCALAPPDATA%\ChamberDesk:
; data files, backups, evidence, own rubrics) is never touched, not even by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\dist\ChamberDesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
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
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\ChamberDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ChamberDesk-Setup-{#AppVersion}
SetupIconFile=chamberdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Inno Setup ships no Simplified Chinese catalogue; build.ps1 fetches the community file next to
; this script when it is missing, else the installer speaks English.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："
Name: "assocpkg"; Description: "用商会台账打开上报数据包（.cdpkg）"; GroupDescription: "文件关联："

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not leave stale modules of the previous version beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\使用手册"; Filename: "{app}\_internal\docs\manual.pdf"; Check: ManualExists
Name: "{group}\安装自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\chamberdesk-cli.exe"" selfcheck"; WorkingDir: "{app}"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; Per-user file association (HKCU\Software\Classes): a package opens in ChamberDesk.
Root: HKA; Subkey: "Software\Classes\.cdpkg"; ValueType: string; ValueName: ""; ValueData: "ChamberDesk.Package"; Flags: uninsdeletevalue; Tasks: assocpkg
Root: HKA; Subkey: "Software\Classes\.cdpkg\OpenWithProgids"; ValueType: string; ValueName: "ChamberDesk.Package"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocpkg
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package"; ValueType: string; ValueName: ""; ValueData: "商会台账上报数据包"; Flags: uninsdeletekey; Tasks: assocpkg
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: assocpkg
Root: HKA; Subkey: "Software\Classes\ChamberDesk.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: assocpkg
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".cdpkg"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即启动{#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself writes inside its own folder; the user data folder stays.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function ManualExists(): Boolean;
begin
  Result := FileExists(ExpandConstant('{app}\_internal\docs\manual.pdf'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox('商会台账已卸载。您的数据文件和备份仍保留在：' + #13#10 +
           ExpandConstant('{localappdata}\ChamberDesk') + #13#10 +
           '重新安装后即可继续使用；如确定不再需要，可手动删除该文件夹。',
           mbInformation, MB_OK);
end;
