// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

// 🐨 2. Export readConfig(env = process.env), returning { port }: PORT, or 4000 when PORT is unset or
//    empty. Read it with a helper of its own, exported for the settings later steps add:
//    readWholeNumber(env, name, fallback, { min, max }). Unset or empty gives the fallback; anything
//    that is not a whole number from min to max ("abc", "0", "80.5" for a port) is a mistake to
//    report, not a number to guess: throw an Error whose message names the setting and what it
//    should be. The checks call readConfig() with settings of their own.
