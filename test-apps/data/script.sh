#!/bin/sh
echo a script is not an ELF binary
