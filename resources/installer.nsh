; Included by electron-builder's NSIS installer (electron-builder.config.ts, nsis.include).
; "Add as a command" writes launchers to %LOCALAPPDATA%\Terrarium\bin (main/integration/host.ts,
; windowsCommandsDir); the installer puts that folder on the person's PATH and the uninstaller
; takes it off again and removes the launchers (not on an update, which uninstalls first too).
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
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    !insertmacro terrariumEditUserPath remove
    RMDir /r "$LOCALAPPDATA\Terrarium\bin"
  ${endIf}
!macroend
