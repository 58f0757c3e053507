/** A foreign key shown as the referenced row's label, linking to it. */
import { useEffect, useState } from 'react';
import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { relationPath, type MetaRelation } from '../../core/meta.js';
import { refOption } from '../../core/record-api.js';

export function FkValue({ target, refColumn, value }: { target: MetaRelation; refColumn: string; value: unknown }) {
  const text = String(value);
  const [label, setLabel] = useState(text);
  useEffect(() => {
    let live = true;
    void refOption(target, refColumn, text).then((o) => live && setLabel(o.label));
    return () => {
      live = false;
    };
  }, [target, refColumn, text]);
  // the record key of the referenced row is this value only when it references the whole primary key
  const linkable = target.primaryKey.length === 1 && target.primaryKey[0] === refColumn;
  if (!linkable) return <span>{label}</span>;
  return <Anchor component={Link} to={`${relationPath(target.schema, target.name)}/${encodeURIComponent(text)}`} size="sm">{label}</Anchor>;
}
