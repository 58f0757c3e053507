/** Renders a CellView (core/format.ts): the one look of a value in grids, records and previews. */
import { Anchor, Badge, Checkbox, Code, Image, Text } from '@mantine/core';
import type { CellView } from '../../core/format.js';


export function FormattedValue({ view, imageHeight = 28 }: { view: CellView; imageHeight?: number }) {
  // Mantine resolves colour names ('red', 'teal.7') through the theme; '#hex' passes through
  const colour = view.tone;
  if (view.isNull) {
    return <Text span size="sm" c={colour ?? 'dimmed'} fs="italic" data-null="true">{view.tone ? '—' : 'NULL'}</Text>;
  }
  if (view.text === '' && view.kind !== 'checkbox' && view.kind !== 'image') {
    return <Text span size="sm" c="dimmed" fs="italic">empty</Text>;
  }
  switch (view.kind) {
    case 'badge':
      return <Badge variant="light" color={view.tone ?? 'gray'} radius="sm" tt="none" title={view.title}>{view.text}</Badge>;
    case 'checkbox':
      return <Checkbox checked={view.checked ?? false} readOnly aria-label={view.text} size="xs" color={view.tone} />;
    case 'link':
      return (
        <Anchor href={view.href} target="_blank" rel="noopener noreferrer" size="sm" c={colour} title={view.title} onClick={(e) => e.stopPropagation()}>
          {view.text}
        </Anchor>
      );
    case 'image':
      return <Image src={view.href} alt={view.text} h={imageHeight} w="auto" fit="contain" radius="xs" loading="lazy" title={view.text} />;
    case 'json':
      return <Code c={colour} title={view.title} style={{ whiteSpace: 'nowrap' }}>{view.text}</Code>;
    default:
      return (
        <Text span size="sm" c={colour} fw={colour ? 600 : undefined} title={view.title} style={view.align === 'right' ? { fontVariantNumeric: 'tabular-nums' } : undefined}>
          {view.text}
        </Text>
      );
  }
}
