@echo off
rem Paddock launcher for Windows. Finds Java 17+ (JAVA_HOME, else java on PATH) and runs Paddock with JVM flags
rem suited to a small resident app. From a checkout, build the jar first with: mvn -DskipTests package
setlocal
set "ROOT=%~dp0.."
set "JAR=%ROOT%\target\paddock.jar"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" -version >nul 2>&1 || (echo paddock: needs Java 17 or newer: set JAVA_HOME 1>&2 & exit /b 1)
if not exist "%JAR%" (echo paddock: %JAR% is missing; build it with: mvn -DskipTests package 1>&2 & exit /b 1)
set "CDS="
if exist "%ROOT%\target\paddock.jsa" set "CDS=-XX:SharedArchiveFile=%ROOT%\target\paddock.jsa -Xshare:auto"
rem a pull hashes every byte: SHA-256's CPU instructions reach Java only through the optimising compiler
set "TIER=-XX:TieredStopAtLevel=1"
if /I "%~1"=="pull" set "TIER="
rem the daemon compiles Paddock's own methods after 10 calls instead of 200 (see launchers/paddock); quoted,
rem so the Java launcher does not take the stars for file patterns
set DAEMON=
if /I "%~1"=="start" set DAEMON="-XX:CompileCommand=quiet" "-XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05"
if /I "%~1"=="run" set DAEMON="-XX:CompileCommand=quiet" "-XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05"
"%JAVA%" -XX:+UseSerialGC %TIER% %DAEMON% -Xss512k -Xms16m -Xmx256m %CDS% "-Dpaddock.launcher=%~f0" %PADDOCK_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
