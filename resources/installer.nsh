; Included by electron-builder's NSIS installer (electron-builder.config.ts, nsis.include).
; The `terrarium` command: the installer writes %LOCALAPPDATA%\Terrarium\bin\terrarium.cmd, which
; hands over to the packed launcher (resources\bin\terrarium.cmd, made at packaging by
; scripts/after-pack.ts), and puts that folder on the person's PATH; "Add as a command" writes its
; launchers there too (main/integration/host.ts, windowsCommandsDir). The uninstaller takes the
; folder off PATH and removes it (not on an update, which uninstalls first too).
; PowerShell edits the registry value as it is: [Environment]::SetEnvironmentVariable would expand
; %VARIABLES% in the person's PATH and store it as a plain string.

!include WinMessages.nsh

!macro terrariumEditUserPath ACTION
  nsExec::ExecToLog `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$$dir = Join-Path $$env:LOCALAPPDATA 'Terrarium\bin'; $$key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment'); $$old = [string]$$key.GetValue('Path', '', 'DoNotExpandEnvironmentNames'); $$parts = @($$old -split ';' | Where-Object { $$_ -ne '' -and $$_ -ne $$dir }); if ('${ACTION}' -eq 'add') { $$parts += $$dir; New-Item -ItemType Directory -Force -Path $$dir | Out-Null }; $$new = $$parts -join ';'; if ($$new -ne $$old) { $$key.SetValue('Path', $$new, 'ExpandString') }; $$key.Close()"`
  Pop $0
  ; Tell running programs (Explorer, new terminals) that the environment changed.
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!macroend

!macro customInstall
  !insertmacro terrariumEditUserPath add
  ; No `call`: the packed launcher's exit code becomes this one's (and so the command's).
  CreateDirectory "$LOCALAPPDATA\Terrarium\bin"
  FileOpen $0 "$LOCALAPPDATA\Terrarium\bin\terrarium.cmd" w
  FileWrite $0 `@echo off$\r$\nrem The terrarium command, written by Terrarium's installer.$\r$\n"$INSTDIR\resources\bin\terrarium.cmd" %*$\r$\n`
  FileClose $0
!macroend

; Uninstalling asks two separate questions, each answered No by default (and in a silent
; uninstall): Chromium's settings and caches in %APPDATA%\Terrarium, then the app library
; (%LOCALAPPDATA%\Terrarium\library, main/library/home.ts; older versions kept it in
; %APPDATA%\Terrarium, and the first question never touches those files).
!macro customUnInstall
  ${ifNot} ${isUpdated}
    !insertmacro terrariumEditUserPath remove
    RMDir /r "$LOCALAPPDATA\Terrarium\bin"
    ; Electron keeps its user data per person, whatever the install mode.
    SetShellVarContext current
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "Delete Terrarium's settings and caches in $APPDATA\Terrarium?$\r$\n$\r$\nYour installed apps are not part of this: you are asked about them next." /SD IDNO IDNO terrariumKeepSettings
      FindFirst $R0 $R1 "$APPDATA\Terrarium\*"
      terrariumNextSetting:
        StrCmp $R1 "" terrariumSettingsDone
        StrCmp $R1 "." terrariumSkipSetting
        StrCmp $R1 ".." terrariumSkipSetting
        StrCmp $R1 "library.db" terrariumSkipSetting
        StrCmp $R1 "library.db-wal" terrariumSkipSetting
        StrCmp $R1 "library.db-shm" terrariumSkipSetting
        StrCmp $R1 "store" terrariumSkipSetting
        StrCmp $R1 "library" terrariumSkipSetting
        RMDir /r "$APPDATA\Terrarium\$R1"
        Delete "$APPDATA\Terrarium\$R1"
        terrariumSkipSetting:
        FindNext $R0 $R1
        Goto terrariumNextSetting
      terrariumSettingsDone:
      FindClose $R0
      RMDir "$APPDATA\Terrarium"
    terrariumKeepSettings:
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "Also delete your Terrarium app library?$\r$\n$\r$\nThis deletes every app you installed in Terrarium, with its permissions, run history and activity log ($LOCALAPPDATA\Terrarium\library). It cannot be undone.$\r$\n$\r$\nChoose No to keep them for when you install Terrarium again." /SD IDNO IDNO terrariumKeepLibrary
      RMDir /r "$LOCALAPPDATA\Terrarium\library"
      RMDir "$LOCALAPPDATA\Terrarium"
      Delete "$APPDATA\Terrarium\library.db"
      Delete "$APPDATA\Terrarium\library.db-wal"
      Delete "$APPDATA\Terrarium\library.db-shm"
      RMDir /r "$APPDATA\Terrarium\store"
      RMDir /r "$APPDATA\Terrarium\library"
      RMDir "$APPDATA\Terrarium"
    terrariumKeepLibrary:
    ${if} $installMode == "all"
      SetShellVarContext all
    ${endif}
  ${endIf}
!macroend
