#!/usr/bin/env node
// The installed `factbot` command.
import { load } from "./launch.js";

const { main } = await load("src/cli/main");
await main(process.argv.slice(2));
