@echo off
rem paved's provider plugin on Windows, where the engine runs pulumi-resource-paved.cmd: the same as
rem pulumi-resource-paved beside it, from the repository root (node_modules, tsconfig.json).
cd /d "%~dp0.."
node --import tsx components\providers\main.ts %*
