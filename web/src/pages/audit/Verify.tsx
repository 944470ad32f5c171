import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useSubscription } from '../../api/live';
import { graphql } from '../../gql';
import type { VerifyChainSubscription } from '../../gql/graphql';

const VerifyChain = graphql(`
  subscription VerifyChain {
    verifyChain {
      checked
      headPosition
      done
      passed
      message
    }
  }
`);

type Step = VerifyChainSubscription['verifyChain'];

/** One verification: subscribed while mounted. */
function Run({ onStep }: { onStep: (step: Step) => void }) {
  useSubscription(VerifyChain, {}, (data) => onStep(data.verifyChain), true, true);
  return null;
}

/** Runs the chain verification in the server and shows how far it has come. */
export function Verify() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [run, setRun] = useState(0);
  const [step, setStep] = useState<Step | null>(null);
  const onStep = (next: Step) => {
    setStep(next);
    if (next.done) {
      setRun(0);
      void client.invalidateQueries({ queryKey: ['log'] });
    }
  };
  const percent = step && step.headPosition > 0 ? Math.round((100 * step.checked) / step.headPosition) : 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {run > 0 && <Run key={run} onStep={onStep} />}
      <Button
        type="primary"
        loading={run > 0}
        onClick={() => {
          setStep(null);
          setRun(Date.now());
        }}
      >
        {t('audit.verifyNow')}
      </Button>
      {step && !step.done && <Progress percent={percent} aria-label={t('audit.verifying')} format={() => `${step.checked} / ${step.headPosition}`} />}
      {step?.done && (
        <Alert
          role="status"
          type={step.passed ? 'success' : 'error'}
          showIcon
          title={step.passed ? t('audit.verified', { n: step.checked }) : t('audit.broken', { message: step.message ?? '' })}
        />
      )}
    </Space>
  );
}
