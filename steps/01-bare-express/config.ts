// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

// 🐨 2. Export readConfig(env = process.env), returning { port }: PORT when it is set, 4000 when it
//    is unset or empty. Anything that is not a whole number from 1 to 65535 ("abc", "0", "80.5")
//    is a mistake to report, not a port to guess: throw an Error whose message names PORT and
//    what it should be. The checks call readConfig() with settings of their own.
