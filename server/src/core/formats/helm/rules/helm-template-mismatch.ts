// helm-template-mismatch: with `helm template` turned on, a port where helm's render and Port Parity's evaluation of the chart disagree.
import { defineRule, fromK8sFacts } from '../../../rules/types';

export const rule = defineRule({
  meta: {
    id: 'helm-template-mismatch',
    description: 'With the optional `helm template` render on, a port field where helm\'s render of a chart environment and Port Parity\'s own evaluation of it disagree (or one of them lacks it).',
    defaultSeverity: 'warning',
    fixable: false,
    movesPorts: false,
    alignable: false,
    // The helm comparison words each disagreement (it knows the field, both values and the render).
    messages: {
      renderDisagrees: '{{message}}',
    },
  },
  check(model) {
    return fromK8sFacts(model, 'helm-template-mismatch', 'renderDisagrees', (f) => f.helmMismatches);
  },
});
