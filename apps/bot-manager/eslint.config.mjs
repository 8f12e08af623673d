// The repository's rules, plus: the compiled runner bundle (.runner-bundle/, generated, gitignored) is not source.
import root from '../../eslint.config.mjs';

export default [{ ignores: ['.runner-bundle/**'] }, ...root];
