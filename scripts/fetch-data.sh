#!/usr/bin/env bash
# Placeholder until the datasets work lands: the XOR experiment needs no files.
exit 0
