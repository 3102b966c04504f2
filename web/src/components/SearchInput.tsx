import { SearchOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useState } from 'react';

export interface SearchInputProps {
  /** The committed search term (from the URL); the field resets to it when it changes elsewhere. */
  value?: string;
  onSearch: (value: string | undefined) => void;
  placeholder?: string;
  className?: string;
  'data-testid'?: string;
}

/** A text filter committed on Enter, on blur and on clear; data-testid lands on the <input> itself. */
export function SearchInput({ value, onSearch, placeholder, className, ...rest }: SearchInputProps) {
  const [text, setText] = useState(value ?? '');
  const [synced, setSynced] = useState(value);
  if (synced !== value) {
    // the committed value changed elsewhere (reset button, navigation): follow it
    setSynced(value);
    setText(value ?? '');
  }
  const commit = (next: string) => {
    const term = next.trim() || undefined;
    if (term !== value) onSearch(term);
  };
  return (
    <Input
      className={className}
      prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}
      value={text}
      placeholder={placeholder}
      allowClear
      onChange={(e) => {
        setText(e.target.value);
        if (e.type !== 'change') commit(e.target.value); // the clear icon fires a non-"change" event
      }}
      onPressEnter={() => commit(text)}
      onBlur={() => commit(text)}
      data-testid={rest['data-testid']}
    />
  );
}
