# Write a function to split a given list into two parts where the length of the first part of the list is given.
def split_two_parts(list1, L):
    return list1[:L], list1[L:]


# Write a function to merge two dictionaries.
def merge_dict(d1,d2):
 d = d1.copy()
 d.update(d2)
 return d


# Write a function to calculate a dog's age in dog's years.
def dog_age(h_age):
 if h_age < 0:
     exit()
 elif h_age <= 2:
     d_age = h_age * 10.5
 else:
     d_age = 21 + (h_age - 2)*4
 return d_age
