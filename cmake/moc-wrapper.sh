#!/bin/sh
# Runs Qt's moc without the C++ standard library's include directories. CMake 3.25 hands moc the
# compiler's implicit include paths; Qt 6.4's moc then parses libstdc++'s C++20 <concepts> and
# fails ("Parse error at std"). moc only needs our headers and Qt's, so those paths are dropped.
moc=$1; shift
for a in "$@"; do
  shift
  case "$a" in
    -I/usr/include/c++/*|-I/usr/include/x86_64-linux-gnu/c++/*) ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec "$moc" "$@"
